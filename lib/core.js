import { toPlain } from './convert.js';

export function coreApi(Module) {
  return {
    /** fp32, fp16, bf16, fp8, int8, int4 with their storage bits. */
    plainDtypes: () => toPlain(Module.plainDtypes()),
  };
}
