// Types of lib/quant.js (see docs/quant.md).

export interface QuantApi {
}
