// The lab's own policy as an EvalPolicy: batched generation (greedy or sampled) over the KV cache with each
// record's stored image, and likelihood scoring of option continuations by one forward pass of log-probs.
// Prompts, stop tokens and completion text come from the trainer's prompting so eval asks what training taught.
import type { VqaRecord } from '../data/record.ts';
import type { Tokenizer } from '../model/tokenizer.ts';
import { generate } from '../model/policy/generate.ts';
import { numImageTokens } from '../model/config.ts';
import type { Policy } from '../model/policy/policy.ts';
import { toPolicyPixels, type RgbBytes } from '../rl/trainer/images.ts';
import { completionText, promptIds, stopTokens } from '../rl/trainer/prompting.ts';
import type { EvalPolicy, EvalPrompt, GenerateOptions, Generation } from './policy.ts';

export interface PolicyAdapterConfig {
  /** Shown in reports, e.g. 'pretrained' or 'checkpoint run-…'. */
  name: string;
  /**
   * The continuation scored for one option in likelihood scoring, in the tag format the policy answers in.
   * Default: the trainer's SFT target (rl/trainer/prompting.ts sftTargetText) with the option's text as the
   * answer, `<think>The structure is X.</think> <answer>X</answer>`, so a policy trained by the lab is scored in
   * the words it learned. Tokens every option shares at the start are not scored (they add the same term to
   * each option and would only dilute a mean).
   */
  scoringText: (option: string) => string;
}

export const DEFAULT_POLICY_ADAPTER_CONFIG: PolicyAdapterConfig = {
  name: 'policy',
  scoringText: (option) => `<think>The structure is ${option}.</think> <answer>${option}</answer>`,
};

/** Looks up a record's stored image (resized RGB bytes); null when the dataset holds none. */
export type ImageLookup = (ref: string) => Promise<RgbBytes | null>;

export class PolicyEvalAdapter implements EvalPolicy {
  readonly name: string;
  private readonly config: PolicyAdapterConfig;
  private readonly pixelCache = new Map<string, Float32Array>();
  /** Ids of records whose prompt left no room for an answer within maxSeqLen (answered with ''). */
  readonly tooLong = new Set<string>();

  constructor(
    readonly policy: Policy,
    readonly tokenizer: Tokenizer,
    private readonly images: ImageLookup,
    config: Partial<PolicyAdapterConfig> = {},
  ) {
    this.config = { ...DEFAULT_POLICY_ADAPTER_CONFIG, ...config };
    this.name = this.config.name;
  }

  async generate(prompts: readonly EvalPrompt[], options: GenerateOptions): Promise<Generation[]> {
    const out: Generation[] = prompts.map(() => ({ text: '', tokens: 0 }));
    const fitting: number[] = [];
    const ids = prompts.map((p) => promptIds(this.tokenizer, p.record));
    prompts.forEach((p, i) => {
      if (this.room(ids[i].length) >= 1) fitting.push(i);
      else this.tooLong.add(unrotatedId(p.record.id));
    });
    if (fitting.length === 0) return out;
    const { tensor, imageOf } = await this.imageBatch(fitting.map((i) => prompts[i].record));
    try {
      const completions = await generate(this.policy, { images: tensor, imageOfPrompt: imageOf, prompts: fitting.map((i) => ids[i]) }, {
        greedy: options.temperature <= 0,
        temperature: options.temperature,
        topK: 0,
        topP: options.topP,
        maxNewTokens: options.maxNewTokens,
        stopTokens: stopTokens(this.tokenizer),
        seed: options.seed,
        samplesPerPrompt: 1,
        padId: this.tokenizer.padId,
      });
      completions.forEach((c) => {
        out[fitting[c.prompt]] = { text: completionText(this.tokenizer, c.tokens), tokens: c.tokens.length };
      });
    } finally {
      tensor.dispose();
    }
    return out;
  }

  async scoreOptions(prompt: EvalPrompt, continuations: readonly string[]): Promise<number[][]> {
    if (continuations.length === 0) return [];
    const ids = promptIds(this.tokenizer, prompt.record);
    const room = this.room(ids.length);
    if (room < 1) {
      this.tooLong.add(unrotatedId(prompt.record.id));
      return continuations.map(() => []);
    }
    const encoded = continuations.map((c) => this.tokenizer.encode(this.config.scoringText(c)));
    const shared = sharedPrefixLength(encoded);
    // The shared prefix is still fed (it conditions what follows); only its log-probs are dropped below.
    const completions = encoded.map((e) => e.slice(0, room));
    const { tensor } = await this.imageBatch([prompt.record]);
    try {
      const r = this.policy.logProbs({
        images: tensor,
        imageOfRow: completions.map(() => 0),
        prompts: completions.map(() => ids),
        completions,
        padId: this.tokenizer.padId,
      });
      try {
        const logp = await this.policy.backend.read(r.logp);
        const width = r.layout.completionWidth;
        return completions.map((c, o) => Array.from(logp.subarray(o * width + Math.min(shared, c.length), o * width + c.length)));
      } finally {
        r.dispose();
      }
    } finally {
      tensor.dispose();
    }
  }

  /** Completion tokens that fit after a prompt of `promptLength` tokens. */
  private room(promptLength: number): number {
    return this.policy.config.maxSeqLen - numImageTokens(this.policy.config) - promptLength;
  }

  /** One tensor of the distinct images of `records` and which one each record uses. */
  private async imageBatch(records: readonly VqaRecord[]) {
    const size = this.policy.config.imageSize;
    const refs: string[] = [];
    const imageOf = records.map((r) => {
      const at = refs.indexOf(r.image);
      if (at >= 0) return at;
      refs.push(r.image);
      return refs.length - 1;
    });
    const n = size * size * 3;
    const all = new Float32Array(refs.length * n);
    for (const [i, ref] of refs.entries()) all.set(await this.pixels(ref), i * n);
    const tensor = this.policy.backend.fromArray(all, [refs.length, size, size, 3]);
    return { tensor, imageOf };
  }

  /** Pixels of an image at the model's size, cached (every rotation and sample asks again); grey when absent. */
  private async pixels(ref: string): Promise<Float32Array> {
    let p = this.pixelCache.get(ref);
    if (!p) {
      const size = this.policy.config.imageSize;
      const img = ref ? await this.images(ref) : null;
      p = img ? toPolicyPixels(img, size) : new Float32Array(size * size * 3);
      this.pixelCache.set(ref, p);
    }
    return p;
  }

  /** Frees the policy's weights (the backend stays: it may own a device others use). */
  dispose(): void {
    this.pixelCache.clear();
    this.policy.dispose();
  }
}

/** The record id behind a rotated copy ('q1#rot2' -> 'q1', eval/rotation.ts); real ids may hold '#' themselves. */
export function unrotatedId(id: string): string {
  return id.replace(/#rot\d+$/, '');
}

/** Length of the token prefix every sequence shares (0 for a single sequence: nothing to cancel then). */
export function sharedPrefixLength(seqs: readonly (readonly number[])[]): number {
  if (seqs.length < 2) return 0;
  const shortest = Math.min(...seqs.map((s) => s.length));
  let k = 0;
  while (k < shortest - 1 && seqs.every((s) => s[k] === seqs[0][k])) k++;
  return k;
}
