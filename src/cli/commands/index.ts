// Every `gradflow` command, one module each.
import type { CommandModule } from 'yargs';
import train from './train.js';

export const commands: CommandModule<any, any>[] = [train];
