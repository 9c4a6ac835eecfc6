export function rooflineApi(Module) {
  return {};
}
