// The layers.csv statistics the report reads at every probe step (its figures and findings use
// them over training); any other statistic is read at each run's last probe only.
export const REPORT_STATS = ['grad_norm', 'response_std', 'update_ratio', 'weight_drift'] as const;
