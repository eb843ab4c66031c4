// The Train panel: GRPO on this tab's GPU. The run's configuration with documented defaults, start / pause /
// resume / stop with progress and checkpoints (a reload goes on from the last one), live TRL-named charts, the
// group inspector, and a box to try the reward functions on a typed completion. State lives in store/training.ts.
import { useEffect } from 'react';
import { useDatasetsStore } from '../../store/datasets.ts';
import { useTrainingStore } from '../../store/training.ts';
import { Panel } from '../widgets/Panel.tsx';
import { ConfigCard } from './train/ConfigCard.tsx';
import { GroupInspector } from './train/GroupInspector.tsx';
import { MetricCharts } from './train/MetricCharts.tsx';
import { RewardPlayground } from './train/RewardPlayground.tsx';
import { RunCard } from './train/RunCard.tsx';

export function TrainPanel() {
  const initData = useDatasetsStore((s) => s.init);
  const initTraining = useTrainingStore((s) => s.init);
  const status = useTrainingStore((s) => s.status);
  const locked = status === 'running' || status === 'pausing' || status === 'stopping';
  useEffect(() => {
    void initData();
    void initTraining();
  }, [initData, initTraining]);
  return (
    <Panel id="train" title="Train" lede="GRPO on this tab's GPU: rollouts, rewards, group-relative advantages and the clipped objective with KL.">
      <RunCard />
      {status === 'idle' ? (
        <>
          <ConfigCard locked={locked} />
          <RewardPlayground />
          <MetricCharts />
          <GroupInspector />
        </>
      ) : (
        <>
          <MetricCharts />
          <GroupInspector />
          <ConfigCard locked={locked} />
          <RewardPlayground />
        </>
      )}
    </Panel>
  );
}
