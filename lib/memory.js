export function memoryApi(Module) {
  return {};
}
