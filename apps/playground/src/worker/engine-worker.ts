// An engine worker: builds the gpu.js engine once ('init'), then runs signal-propagation analyses and one
// training session on it. The page starts one for analysis and one for training, so a long analysis
// never holds up training's stop button, and terminates the analysis one to cancel a stale request.
import type { EngineReply, EngineRequest } from '../protocol';
import { analyse } from './analyse';
import { makeEngine } from './make-engine';
import type { MadeEngine } from './make-engine';
import { TrainSession } from './train-session';

const post = (m: EngineReply) => self.postMessage(m);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
// Where the page's MNIST subset lies (the page says, in 'init').
let base = new URL('mnist/', String(self.location.href));

let made: Promise<MadeEngine> | null = null;
let session: TrainSession | null = null;

async function handle(m: EngineRequest): Promise<void> {
  switch (m.type) {
    case 'init':
      base = new URL(m.data);
      made = makeEngine(m.mode);
      try {
        post({ type: 'engine', info: (await made).info });
      } catch (error) {
        post({ type: 'error', during: 'init', message: message(error) });
      }
      return;
    case 'analyse':
      try {
        const { engine } = await made!;
        post(await analyse(engine, m.id, m.source, m.schemes, post));
      } catch (error) {
        post({ type: 'error', during: 'analyse', id: m.id, message: message(error) });
      }
      return;
    case 'train': {
      try {
        const { engine } = await made!;
        session?.cancel();
        session = new TrainSession(engine, post);
        await session.run(m.source, base);
      } catch (error) {
        post({ type: 'error', during: 'train', message: message(error) });
      }
      return;
    }
    case 'pause':
      session?.pause();
      return;
    case 'continue':
      session?.resume();
      return;
    case 'cancel':
      session?.cancel();
      return;
    case 'weights':
      try {
        if (session === null) throw new Error('nothing trained yet');
        const reply = await session.weights();
        post(reply);
      } catch (error) {
        post({ type: 'error', during: 'weights', message: message(error) });
      }
      return;
  }
}

self.onmessage = (event: MessageEvent<EngineRequest>) => {
  void handle(event.data);
};
