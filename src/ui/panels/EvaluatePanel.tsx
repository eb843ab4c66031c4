// The Evaluate panel: Benchmark a checkpoint or an ONNX model: greedy accuracy, Avg@k, CircularEval and likelihood scoring.
import { Panel, Planned } from '../widgets/Panel.tsx';

export function EvaluatePanel() {
  return (
    <Panel id="evaluate" title="Evaluate" lede="Benchmark a checkpoint or an ONNX model: greedy accuracy, Avg@k, CircularEval and likelihood scoring.">
      <Planned
        issue={8}
        items={[
          'Tables in the VLMEvalKit manner: Overall, then one column per question type, modality, anatomy and source',
          'A confusion matrix over anatomy labels whose cells open the images behind them',
          'An explicit could-not-extract bucket, latency and throughput',
        ]}
      />
    </Panel>
  );
}
