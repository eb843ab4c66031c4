// The Train panel: GRPO on this tab's GPU: rollouts, rewards, group-relative advantages and the clipped objective with KL.
import { Panel, Planned } from '../widgets/Panel.tsx';

export function TrainPanel() {
  return (
    <Panel id="train" title="Train" lede="GRPO on this tab's GPU: rollouts, rewards, group-relative advantages and the clipped objective with KL.">
      <Planned
        issue={6}
        items={[
          'Configuration with documented defaults (G = 8, epsLow = epsHigh = 0.2, beta = 0.04, learning rate, batch, steps, seed)',
          'Start, pause, resume and stop; checkpoints that survive a reload or a lost device',
          'Live charts of reward, frac_reward_zero_std, KL, clip ratios, entropy and more, named as TRL names them',
          'A group inspector: image, question, the G completions, their rewards and advantages',
        ]}
      />
    </Panel>
  );
}
