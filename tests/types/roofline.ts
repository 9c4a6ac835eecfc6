import { loadLlmSpacetime } from '../../lib/index.js';
import type { CacheSweepResult, CalibrationPoint, HardwarePreset, PlanResult, PlanSweepResult, ProbeResult, RooflineResult, TrainingFit, TrainingLayer, TrainingMemory, TrainingPart } from '../../lib/index.js';

async function usage(): Promise<void> {
  const api = await loadLlmSpacetime();
  const chips: HardwarePreset[] = api.hardwarePresets();
  const gib: number = chips[0].memory_gib;
  const plan: PlanResult = api.plan({ model: 'llama-2-70b', hardware: 'h100-sxm', batch: 8, context: 4096, gpus: 4 });
  const perSequence: number = plan.decode.tokens_per_s;
  const ttft: number = plan.prefill.ttft_s;
  const limit: number = plan.curve.filter((point) => point.fits).length + plan.max_batch;
  const planSweep: PlanSweepResult[] = api.planSweep({ model: 'llama-3-70b', gpus: 2 }, [{ batch: 1 }, { batch: 8, context: 8192 }, { gpus: 4 }]);
  const sweepTpot: number = planSweep[0].decode.step_s + planSweep[1].max_batch;
  const roofline: RooflineResult = api.roofline({ model: { d_model: 2048, n_layers: 16 }, hardware: { base: 'a100-80gb', memory_gb_per_s: 1000 } });
  const ridge: number = roofline.ridge_flops_per_byte + roofline.operators[0].intensity;
  const training: TrainingMemory = api.trainingMemory({ model: 'llama-2-7b', checkpointing: 'selective', zero_stage: 3, data_parallel: 8,
    tensor_parallel: 2, sequence_parallel: true, dropout: true, fused_swiglu: true, vocab_chunks: 4 });
  const layer: TrainingLayer = training.layers[0];
  const qlora: TrainingMemory = api.trainingMemory({ model: 'llama-2-7b', method: 'qlora', lora_rank: 64, lora_targets: 'all-linear',
    lora_experts: false, lora_dropout: true, adapter_dtype: 'bf16', paged_optimizer: true });
  const part: TrainingPart = qlora.parts[0];
  const fit: TrainingFit = api.trainingFit({ model: 'llama-2-7b', method: 'lora', hardware: 'rtx-4090' });
  const custom: TrainingFit = api.trainingFit({ model: 'llama-2-7b', hardware: { base: 'rtx-4090', memory_bytes: 2 ** 33 } });
  void [qlora.trainable_params + qlora.offloaded_bytes + layer.adapter_bytes, part.id, fit.max_batch + custom.max_sequence, fit.fits];
  const points: CalibrationPoint[] = api.calibration();
  const probe: ProbeResult = api.measureMachine({ bytes: 2 ** 24 });
  const sweep: CacheSweepResult = api.measureCacheSweep({ max_bytes: 2 ** 20, points_per_octave: 2 });
  const ceiling: number = api.sweepCeiling(sweep, 16 * 2 ** 20) + sweep.points[0].simd_time.median_s + probe.simd.stream_time.q3_s;
  void [ceiling, sweep.plateaus[0].level, api.defaultCacheSweepInput().repeats];
  void [gib, perSequence, ttft, limit, sweepTpot, ridge, training.total_bytes, layer.selective_bytes + training.loss_bytes, points[0].ratio, probe.simd.flops_per_s,
    api.defaultWorkload().hardware.id];
}
void usage;
