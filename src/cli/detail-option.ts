// `--detail LEVEL` or `--detail modbus=full,dnp3=normal[,LEVEL]`: detail levels of exported transactions.
import { InvalidArgumentError } from 'commander';
import { DETAIL_LEVELS, type DetailLevel, type DetailOptions } from '../pipeline/detail.js';

export function parseDetailOption(value: string): DetailOptions {
  const options: DetailOptions = {};
  const perProtocol: Record<string, DetailLevel> = {};
  for (const part of value.split(',').map((p) => p.trim()).filter((p) => p.length > 0)) {
    const [name, level] = part.includes('=') ? part.split('=', 2) : [null, part];
    if (!(DETAIL_LEVELS as readonly string[]).includes(level)) {
      throw new InvalidArgumentError(`detail level must be one of ${DETAIL_LEVELS.join(', ')} (got "${level}")`);
    }
    if (name === null) options.level = level as DetailLevel;
    else if (!/^[a-z0-9_]+$/.test(name)) throw new InvalidArgumentError(`"${name}" is not a protocol id`);
    else perProtocol[name] = level as DetailLevel;
  }
  if (Object.keys(perProtocol).length > 0) options.perProtocol = perProtocol;
  return options;
}
