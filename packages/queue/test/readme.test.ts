import { testReadmeExample } from '@skipinit/devtools/readme-example';

// The README's example against a real redis-server that the example starts on a free loopback port.
testReadmeExample({ dir: import.meta.dirname, name: '@skipinit/queue', load: () => import('./readme-example'), lines: 3 });
