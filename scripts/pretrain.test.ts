// `npm run pretrain` in instalments: a pretrain stopped with --stop-after and picked up from its --state gives
// the very weights of one run straight through (same schedule, data order and Adam moments).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from '../src/model/safetensors.ts';

const TSX = join(__dirname, '..', 'node_modules', '.bin', 'tsx');
const SCRIPT = join(__dirname, 'pretrain.ts');
const BASE = ['--preset', 'micro', '--steps', '4', '--batch', '2', '--questions', '120', '--eval', '2', '--lr', '3e-3'];

function pretrain(args: string[]): string {
  return execFileSync(TSX, [SCRIPT, ...BASE, ...args], { encoding: 'utf8', timeout: 120_000 });
}

describe('pretrain in instalments', () => {
  it('stops with its state saved and resumes to the weights of an unbroken run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pretrain-'));
    const straightLog = pretrain(['--out', join(dir, 'straight.safetensors')]);
    expect(straightLog).toMatch(/sft 1\/4 /);
    const state = join(dir, 'state.bin');
    const first = pretrain(['--out', join(dir, 'split.safetensors'), '--state', state, '--stop-after', '2']);
    expect(first).toMatch(/stopped after 2 steps at SFT step 2 of 4/);
    expect(existsSync(join(dir, 'split.safetensors'))).toBe(false);
    // Another command line does not continue this state: the card would describe a run that never happened.
    expect(() => execFileSync(TSX, [SCRIPT, ...BASE.map((a) => (a === '3e-3' ? '1e-3' : a)), '--state', state], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/continue it with those/);
    expect(() => execFileSync(TSX, [SCRIPT, ...BASE, '--captions', 'on', '--state', state], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/holds a pretrain with --captions off/);
    expect(() => execFileSync(TSX, [SCRIPT, ...BASE, '--types', 'location', '--state', state], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/holds a pretrain with --types all/);
    const second = pretrain(['--out', join(dir, 'split.safetensors'), '--state', state]);
    expect(second).toMatch(/resumed from .* at SFT step 2/);
    // Only steps 3 and 4 ran the second time (a resume that started over would also end at equal weights).
    expect(second).not.toMatch(/sft 1\/4 /);
    expect(second).toMatch(/sft 4\/4 /);
    const straight = readCheckpoint(readFileSync(join(dir, 'straight.safetensors')));
    const split = readCheckpoint(readFileSync(join(dir, 'split.safetensors')));
    for (const [name, w] of straight.weights) expect(split.weights.get(name)).toEqual(w);
    // The two instalments trained: the final loss of the card is that of step 4 in both.
    const card = (b: ReturnType<typeof readCheckpoint>) => JSON.parse(b.extra.card) as { finalLoss: number };
    expect(card(split).finalLoss).toBe(card(straight).finalLoss);
  }, 300_000);

  it('trains a stage on the question types it is given, and names a type it does not know', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pretrain-'));
    const out = join(dir, 'location.safetensors');
    pretrain(['--types', 'location', '--out', out]);
    const card = JSON.parse(readCheckpoint(readFileSync(out)).extra.card) as { training: { questionTypes: string }; dataset: { trainQuestions: number; questions: number } };
    expect(card.training.questionTypes).toBe('location');
    // Only the location questions of the 120 are trained and tested on.
    expect(card.dataset.trainQuestions).toBeGreaterThan(0);
    expect(card.dataset.trainQuestions).toBeLessThan(70);
    expect(() => execFileSync(TSX, [SCRIPT, ...BASE, '--types', 'location,colour', '--out', join(dir, 'x.safetensors')], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/no question type 'colour'/);
  }, 120_000);
});
