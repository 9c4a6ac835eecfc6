export const memoryCommands = [];
