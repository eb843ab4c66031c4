// The launch files and README of an export: the exact command to run the recipe on a Ray (EasyR1, verl) or
// torchrun (TRL) cluster from the export folder, and the TRL training script. Paths are made absolute at
// launch ($PWD) because Ray workers do not share the driver's working directory.

import type { MappedConfig, MappedSetting, TargetId } from './mapping.ts';
import type { RecipeManifest } from './manifest.ts';

export interface LaunchOptions {
  /** Hugging Face id or path of the policy to train. Typical 'Qwen/Qwen2.5-VL-7B-Instruct'. */
  model: string;
  /** Machines in the cluster. Typical 1. */
  nnodes: number;
  /** GPUs per machine. Typical 8. */
  gpusPerNode: number;
}

/** A Hydra command-line override value (verl): lists as ['a','b'], strings quoted when needed. */
export function hydraValue(value: MappedSetting['value']): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(hydraValue).join(',')}]`;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  return /^[A-Za-z0-9_./:@-]+$/.test(value) ? value : `'${value.replace(/'/g, "\\'")}'`;
}

/** Settings that name files of the export: made absolute at launch. */
const PATH_KEYS = new Set([
  'data.train_files',
  'data.val_files',
  'data.format_prompt',
  'worker.reward.reward_function',
  'custom_reward_function.path',
]);

function overrideLine(s: MappedSetting): string {
  if (PATH_KEYS.has(s.key) && typeof s.value === 'string') return `  ${s.key}="$PWD/${s.value.replace(/^\.\//, '')}"`;
  // Single-quote the whole override so the shell leaves Hydra's brackets and quotes alone.
  return `  '${s.key}=${hydraValue(s.value)}'`;
}

export function verlLaunchScript(mapped: MappedConfig, opts: LaunchOptions): string {
  const lines = mapped.settings.map(overrideLine);
  return `#!/usr/bin/env bash
# Launches the exported recipe with verl (python -m verl.trainer.main_ppo); run it from this folder on the
# Ray head node. Every value below comes from the lab's mapping table (verl_grpo.yaml lists the same keys).
set -euo pipefail
cd "$(dirname "$0")"
MODEL="\${MODEL:-${opts.model}}"
NNODES="\${NNODES:-${opts.nnodes}}"
GPUS_PER_NODE="\${GPUS_PER_NODE:-${opts.gpusPerNode}}"
mkdir -p logs
export VERL_FILE_LOGGER_PATH="\${VERL_FILE_LOGGER_PATH:-$PWD/logs/metrics.jsonl}"
python3 -m verl.trainer.main_ppo \\
${[...lines, '  actor_rollout_ref.model.path="$MODEL"', '  trainer.nnodes="$NNODES"', '  trainer.n_gpus_per_node="$GPUS_PER_NODE"', '  "$@"'].join(' \\\n')}
`;
}

export function easyr1LaunchScript(opts: LaunchOptions): string {
  return `#!/usr/bin/env bash
# Launches the exported recipe with EasyR1 (python -m verl.trainer.main config=config.yaml); run it from this
# folder on the Ray head node, with EasyR1 installed (pip install -e .).
set -euo pipefail
cd "$(dirname "$0")"
MODEL="\${MODEL:-${opts.model}}"
python3 -m verl.trainer.main config=config.yaml \\
  data.train_files="$PWD/data/train.parquet" \\
  data.val_files="$PWD/data/train.parquet" \\
  data.format_prompt="$PWD/format_prompt.jinja" \\
  data.image_dir="$PWD" \\
  worker.reward.reward_function="$PWD/reward_function.py:compute_score" \\
  worker.actor.model.model_path="$MODEL" \\
  trainer.nnodes="\${NNODES:-${opts.nnodes}}" \\
  trainer.n_gpus_per_node="\${GPUS_PER_NODE:-${opts.gpusPerNode}}" \\
  "$@" 2>&1 | tee -a console.log
`;
}

export function trlTrainScript(opts: LaunchOptions): string {
  return `# Trains the exported recipe with TRL's GRPOTrainer. Launch with torchrun (see README.md); the model can be
# given as the first argument or in $MODEL.
import json
import os
import sys

from datasets import Image, load_dataset
from trl import GRPOConfig, GRPOTrainer

from rewards import REWARD_FUNCS

HERE = os.path.dirname(os.path.abspath(__file__))
os.chdir(HERE)  # image paths in path mode are relative to this folder

model = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("MODEL", "${opts.model}")
with open("grpo_config.json") as f:
    kwargs = json.load(f)

dataset = load_dataset("parquet", data_files="data/train.parquet", split="train")
dataset = dataset.cast_column("image", Image())

args = GRPOConfig(output_dir="output", **kwargs)
trainer = GRPOTrainer(model=model, reward_funcs=REWARD_FUNCS, args=args, train_dataset=dataset)
trainer.train()
trainer.save_state()
`;
}

const RAY_STEPS = (opts: LaunchOptions) =>
  opts.nnodes > 1
    ? `On the head node: \`ray start --head --port=6379\`; on each of the other ${opts.nnodes - 1} nodes: \`ray start --address=<head ip>:6379\`. Then, on the head node:`
    : 'On the machine with the GPUs (Ray starts a local cluster by itself):';

function launchSection(target: TargetId, opts: LaunchOptions): string {
  switch (target) {
    case 'easyr1':
      return `## Launch (EasyR1, Ray)\n\n${RAY_STEPS(opts)}\n\n\`\`\`bash\nMODEL=${opts.model} NNODES=${opts.nnodes} GPUS_PER_NODE=${opts.gpusPerNode} bash run_easyr1.sh\n\`\`\`\n\nMetrics: the console logger prints \`Step N\` blocks; the output is kept in \`console.log\`. Import that file (or a W&B CSV export) in the lab's Runs panel.\n`;
    case 'verl':
      return `## Launch (verl, Ray)\n\n${RAY_STEPS(opts)}\n\n\`\`\`bash\nMODEL=${opts.model} NNODES=${opts.nnodes} GPUS_PER_NODE=${opts.gpusPerNode} bash run_verl.sh\n\`\`\`\n\nMetrics: the file logger writes \`logs/metrics.jsonl\` (one \`{"step": n, "data": {...}}\` per step). Import it, the console output, or a W&B CSV export in the lab's Runs panel.\n`;
    case 'trl': {
      const nodeArgs =
        opts.nnodes > 1
          ? `--nnodes ${opts.nnodes} --node_rank $NODE_RANK --master_addr <node 0 ip> --master_port 29500 `
          : '--standalone ';
      return `## Launch (TRL, torchrun)\n\nOn ${opts.nnodes > 1 ? 'every node (NODE_RANK = 0 .. ' + (opts.nnodes - 1) + ')' : 'the machine with the GPUs'}:\n\n\`\`\`bash\ntorchrun ${nodeArgs}--nproc_per_node ${opts.gpusPerNode} train_grpo.py ${opts.model}\n\`\`\`\n\nThe per-device batch in \`grpo_config.json\` assumes ${opts.nnodes * opts.gpusPerNode} processes; export again with another count if you change it.\n\nMetrics: \`output/checkpoint-*/trainer_state.json\` (its \`log_history\`) or \`output/trainer_state.json\`. Import it in the lab's Runs panel.\n`;
    }
  }
}

export function recipeReadme(manifest: RecipeManifest, mapped: MappedConfig, opts: LaunchOptions): string {
  const files = {
    easyr1: '- `config.yaml`: the EasyR1 config\n- `format_prompt.jinja`: the answer-tag instruction appended to each problem\n- `reward_function.py`: format + accuracy rewards (`compute_score`, batch mode)\n- `run_easyr1.sh`: the launch command\n',
    verl: '- `verl_grpo.yaml`: every mapped key (for reading; `run_verl.sh` passes them as overrides)\n- `reward_function.py`: format + accuracy rewards (`compute_score`)\n- `run_verl.sh`: the launch command\n',
    trl: '- `grpo_config.json`: GRPOConfig arguments\n- `rewards.py`: format + accuracy reward functions (`REWARD_FUNCS`)\n- `train_grpo.py`: the training script\n',
  }[manifest.target];
  const unmapped = mapped.unmapped.filter((u) => u.active);
  const inactive = mapped.unmapped.filter((u) => !u.active);
  return `# ${manifest.runName}: exported for ${manifest.target}

Run \`${manifest.runId}\`, dataset \`${manifest.dataset.name}\` (fingerprint \`${manifest.dataset.fingerprint}\`).
${manifest.rows} rows for ${manifest.steps} steps: ${manifest.rowsPerStep} rows per step, ${manifest.rolloutsPerRow} rollouts per row, ${manifest.variantsPerQuestion} variant(s) per question.

The rows are in the curriculum's order, one step's batch after another, with each question's GDQA variants
next to each other (same \`group_id\`). The trainer must not shuffle them (the config turns shuffling off).
Each row keeps \`similarity\` (S(q) as posed), \`stage\`, \`variant_id\` and \`row_id\`.

## Files

- \`data/train.parquet\`: the rows (images ${manifest.imageMode === 'embed' ? 'embedded as bytes' : 'referenced by relative path under images/'})${manifest.imageMode === 'path' && manifest.target === 'verl' ? "\n  (verl opens these paths relative to its dataset worker's working directory; if your Ray workers start elsewhere, export with images embedded)" : ''}
- \`data/train.jsonl\`: the same rows as JSON lines (images by relative path)
- \`images/\`: the image files
${files}- \`manifest.json\`: run id, dataset fingerprint, the mapping of every setting, what could not be mapped

${launchSection(manifest.target, opts)}
## Not carried over

${unmapped.length === 0 ? 'Every active option of the run maps to this target.\n' : unmapped.map((u) => `- \`${u.field}\`: ${u.reason}`).join('\n') + '\n'}${inactive.length > 0 ? `\nOff in this run, and with no equivalent here: ${inactive.map((u) => `\`${u.field}\``).join(', ')}.\n` : ''}${manifest.notes.length > 0 ? `\n## Notes\n\n${manifest.notes.map((n) => `- ${n}`).join('\n')}\n` : ''}`;
}
