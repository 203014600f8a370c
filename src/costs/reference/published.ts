// Published numbers the analyzer's counts and the comparison page are checked against. Each
// figure is copied from the cited source; nothing here is computed.
//
// torchvision: the model docs' weight tables (IMAGENET1K_V1 weights; single 224x224 centre crop of
// a 256 resize), https://pytorch.org/vision/stable/models.html and the per-model pages, e.g.
// https://pytorch.org/vision/stable/models/generated/torchvision.models.resnet50.html.
// Its "GFLOPS" column counts one multiply-add as one operation, i.e. it is GMACs.
//
// He et al. 2015: K. He, X. Zhang, S. Ren, J. Sun, "Deep Residual Learning for Image Recognition",
// arXiv:1512.03385. Table 3: 10-crop ImageNet validation error; Table 4: single-model validation
// error (multi-scale, fully convolutional); Table 2: ResNet-18 (10-crop top-1 only); Table 1 and
// Sec. 3.3: complexity in multiply-adds ("FLOPs" in the paper), stride on the first 1x1 conv of a
// bottleneck (v1), hence 3.8G for ResNet-50 where torchvision's v1.5 has 4.1G.

export const SOURCES = {
  torchvision: 'torchvision model docs, IMAGENET1K_V1 weights (pytorch.org/vision/stable/models.html)',
  heTable3: 'He et al. 2015, Table 3 (10-crop validation error)',
  heTable4: 'He et al. 2015, Table 4 (single-model validation error)',
  heTable2: 'He et al. 2015, Table 2 (10-crop top-1 validation error)',
  heComplexity: 'He et al. 2015, Table 1 and Sec. 3.3 (multiply-adds, ResNet v1)',
  heCifar: 'He et al. 2015, Table 6 and Sec. 4.2 (CIFAR-10, option A shortcuts)',
} as const;

export interface PublishedModel {
  model: string;
  torchvision?: { params: number; gmacs: number; top1: number; top5: number };
  /** He et al. 2015 error rates in percent (top-5 absent where the table gives only top-1). */
  he2015?: { table: keyof typeof SOURCES; top1Error: number; top5Error?: number };
  /** He et al. 2015 complexity in G multiply-adds (their ResNet v1; VGG-19 from Sec. 3.3). */
  he2015Gmacs?: number;
}

export const PUBLISHED: PublishedModel[] = [
  { model: 'vgg11', torchvision: { params: 132_863_336, gmacs: 7.61, top1: 69.02, top5: 88.628 } },
  { model: 'vgg11_bn', torchvision: { params: 132_868_840, gmacs: 7.61, top1: 70.37, top5: 89.81 } },
  { model: 'vgg13', torchvision: { params: 133_047_848, gmacs: 11.31, top1: 69.928, top5: 89.246 } },
  { model: 'vgg13_bn', torchvision: { params: 133_053_736, gmacs: 11.31, top1: 71.586, top5: 90.374 } },
  {
    model: 'vgg16',
    torchvision: { params: 138_357_544, gmacs: 15.47, top1: 71.592, top5: 90.382 },
    he2015: { table: 'heTable3', top1Error: 28.07, top5Error: 9.33 },
  },
  { model: 'vgg16_bn', torchvision: { params: 138_365_992, gmacs: 15.47, top1: 73.36, top5: 91.516 } },
  {
    model: 'vgg19',
    torchvision: { params: 143_667_240, gmacs: 19.63, top1: 72.376, top5: 90.876 },
    he2015Gmacs: 19.6,
  },
  { model: 'vgg19_bn', torchvision: { params: 143_678_248, gmacs: 19.63, top1: 74.218, top5: 91.842 } },
  {
    model: 'resnet18',
    torchvision: { params: 11_689_512, gmacs: 1.81, top1: 69.758, top5: 89.078 },
    he2015: { table: 'heTable2', top1Error: 27.88 },
    he2015Gmacs: 1.8,
  },
  {
    model: 'resnet34',
    torchvision: { params: 21_797_672, gmacs: 3.66, top1: 73.314, top5: 91.42 },
    // Option B shortcuts (projections where shapes change), torchvision's choice.
    he2015: { table: 'heTable3', top1Error: 24.52, top5Error: 7.46 },
    he2015Gmacs: 3.6,
  },
  {
    model: 'resnet50',
    torchvision: { params: 25_557_032, gmacs: 4.09, top1: 76.13, top5: 92.862 },
    he2015: { table: 'heTable3', top1Error: 22.85, top5Error: 6.71 },
    he2015Gmacs: 3.8,
  },
  {
    model: 'resnet101',
    torchvision: { params: 44_549_160, gmacs: 7.8, top1: 77.374, top5: 93.546 },
    he2015: { table: 'heTable3', top1Error: 21.75, top5Error: 6.05 },
    he2015Gmacs: 7.6,
  },
  {
    model: 'resnet152',
    torchvision: { params: 60_192_808, gmacs: 11.51, top1: 78.312, top5: 94.046 },
    he2015: { table: 'heTable3', top1Error: 21.43, top5Error: 5.71 },
    he2015Gmacs: 11.3,
  },
];

/** He et al. 2015 CIFAR-10 parameter counts (Table 6, rounded in the paper; ResNet-20 exact from Sec. 4.2's layer list). */
export const PUBLISHED_CIFAR: { model: string; params: number; exact: boolean; testError: number }[] = [
  { model: 'cifar-resnet20', params: 269_722, exact: true, testError: 8.75 },
  { model: 'cifar-resnet32', params: 0.46e6, exact: false, testError: 7.51 },
  { model: 'cifar-resnet44', params: 0.66e6, exact: false, testError: 7.17 },
  { model: 'cifar-resnet56', params: 0.85e6, exact: false, testError: 6.97 },
  { model: 'cifar-resnet110', params: 1.7e6, exact: false, testError: 6.43 },
];

export function publishedFor(model: string): PublishedModel | undefined {
  return PUBLISHED.find((p) => p.model === model);
}
