// The Model panel: The policy: an image encoder and a language decoder running on this tab's GPU.
import { Panel, Planned } from '../widgets/Panel.tsx';

export function ModelPanel() {
  return (
    <Panel id="model" title="Model" lede="The policy: an image encoder and a language decoder running on this tab's GPU.">
      <Planned
        issue={4}
        items={[
          'Presets micro, tiny and small with parameter counts and memory estimates',
          'The pretrained default checkpoint, and loading your own safetensors checkpoints',
          'Export ONNX and Export safetensors downloads',
        ]}
      />
    </Panel>
  );
}
