export const attentionCommands = [];
