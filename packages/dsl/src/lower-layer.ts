// Lowering one primitive layer statement (input, conv, dense, norm, pool, dropout, head, ...) to its graph node.
// The statement's options are bound and checked against its signature in statements.ts.
import * as g from '@skipinit/graph';
import type { Node, Span as GraphSpan } from '@skipinit/graph';
import type { CommandStatement } from './ast';
import type { At, ModelLowerer } from './lower-model';
import { presetValue } from './lower-preset';
import { Options } from './options';
import type { StatementSpec } from './statements';

export function lowerLayer(lowerer: ModelLowerer, cmd: CommandStatement, spec: StatementSpec, at: At): Node[] {
  const o = Options.bind(cmd, spec, at.scope, lowerer.ctx);
  const span = { span: lowerer.graphSpan(cmd.span) };
  const flow = at.flow;
  const head = cmd.head.text;
  const opt = <T>(key: string): T | undefined => o.get(key) as T | undefined;
  const init = <T extends object>(n: T): T => {
    const i = opt<g.WeightInitName>('init');
    const gain = opt<number>('gain');
    const ws = opt<g.WsName>('ws');
    return {
      ...n,
      ...(i !== undefined ? { init: i } : {}),
      ...(gain !== undefined ? { gain } : {}),
      ...(ws !== undefined && ws !== 'none' ? { ws: g.wsFor(ws) } : {}),
    };
  };
  switch (head) {
    case 'input': {
      const shape = opt<number[]>('shape');
      if (!shape) return [];
      flow.rank = shape.length === 3 ? 3 : 1;
      return [g.input(shape, span)];
    }
    case 'conv': {
      const out = o.int('out');
      if (out === undefined) return [];
      flow.rank = 3;
      const padding = opt<g.PaddingName | number>('padding');
      return [
        init(
          g.conv(out, {
            ...span,
            kernel: o.int('kernel') ?? 3,
            stride: o.int('stride') ?? 1,
            ...(padding !== undefined ? { padding } : {}),
            bias: o.bool('bias') ?? true,
          }),
        ),
      ];
    }
    case 'dense': {
      const units = o.int('units');
      if (units === undefined) return [];
      flow.rank = 1;
      return [init(g.dense(units, { ...span, bias: o.bool('bias') ?? true }))];
    }
    case 'head': {
      const classes = o.int('classes');
      if (classes === undefined) return [];
      flow.rank = 1;
      const i = opt<g.WeightInitName>('init');
      const dropout = presetValue(lowerer, o, 'dropout', o.number('dropout'), lowerer.preset?.dropout, 0);
      return [g.head(classes, { ...span, dropout, bias: o.bool('bias') ?? true, ...(i !== undefined ? { init: i } : {}) })];
    }
    default:
      return lowerUnweighted(lowerer, head, o, span, flow);
  }
}

/** The layers without a weight matrix (no init= or gain=): flatten, activations, norms, pools, dropout, bias, scale. */
function lowerUnweighted(lowerer: ModelLowerer, head: string, o: Options, span: { span: GraphSpan }, flow: At['flow']): Node[] {
  switch (head) {
    case 'flatten':
      flow.rank = 1;
      return [g.flatten(span)];
    case 'activation': {
      const fn = o.name<g.ActivationName>('fn');
      return fn ? [g.activation(fn, span)] : [];
    }
    case 'norm': {
      const kind = o.name<g.NormName>('kind');
      if (kind === undefined || kind === 'none') return [];
      if (kind === 'ln' && o.has('momentum')) {
        lowerer.reporter.at('sem/conflicting-options', 'momentum is a batch norm option; layer norm keeps no running statistics', o.spanOf('momentum'));
      }
      return kind === 'bn' ? [bn(o, span)] : [ln(o, span)];
    }
    case 'batchnorm':
      return [bn(o, span)];
    case 'layernorm':
      return [ln(o, span)];
    case 'pool': {
      const op = o.name<g.PoolName>('op');
      if (op === undefined) return [];
      if (op === 'global') {
        for (const k of ['size', 'stride', 'padding']) {
          if (o.has(k)) lowerer.reporter.at('sem/conflicting-options', `pool global averages over every position; it takes no ${k}`, o.spanOf(k));
        }
        flow.rank = 1;
        return [g.globalPool(span)];
      }
      const size = o.int('size') ?? 2;
      const padding = o.get('padding') as g.PaddingName | number | undefined;
      return [g.pool(op, { ...span, size, stride: o.int('stride') ?? size, ...(padding !== undefined ? { padding } : {}) })];
    }
    case 'dropout': {
      const p = o.number('p');
      return p === undefined ? [] : [g.dropout(p, span)];
    }
    case 'bias':
      return [g.bias(o.number('init') ?? 0, span)];
    case 'scale': {
      const i = o.number('init');
      return i === undefined ? [] : [g.scale(i, o.bool('learnable') ?? true, span)];
    }
    default: {
      // The activation keywords: relu, gelu, tanh, sigmoid, identity.
      if ((g.ACTIVATION_NAMES as readonly string[]).includes(head)) return [g.activation(head as g.ActivationName, span)];
      return [];
    }
  }
}

function bn(o: Options, span: { span: GraphSpan }): Node {
  return g.batchnorm({ ...span, momentum: o.number('momentum') ?? 0.1, eps: o.number('eps') ?? 1e-5, affine: o.bool('affine') ?? true });
}

function ln(o: Options, span: { span: GraphSpan }): Node {
  return g.layernorm({ ...span, eps: o.number('eps') ?? 1e-5, affine: o.bool('affine') ?? true });
}
