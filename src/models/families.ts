// The model families, by name: the built-ins, and any a plugin registers with registerModelFamily.
import { createRegistry } from '../ground/registry.js';
import { cifarFamily } from './cifar.js';
import type { ModelFamily } from './family.js';
import { mlpFamily } from './mlp.js';
import { resnetFamily } from './resnet.js';
import { vggFamily } from './vgg.js';

const families = createRegistry<ModelFamily>('model family', {
  plural: 'model families',
  builtins: () => [
    { file: 'src/models/cifar.ts', items: [cifarFamily] },
    { file: 'src/models/mlp.ts', items: [mlpFamily] },
    { file: 'src/models/vgg.ts', items: [vggFamily] },
    { file: 'src/models/resnet.ts', items: [resnetFamily] },
  ],
});

export const registerModelFamily = (family: ModelFamily): ModelFamily => families.register(family);
export const getModelFamily = (name: string): ModelFamily => families.get(name);
export const hasModelFamily = (name: string): boolean => families.has(name);
export const listModelFamilies = (): ModelFamily[] => families.list();

export { registeredBlocks } from './family.js';
