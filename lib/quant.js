export function quantApi(Module) {
  return {};
}
