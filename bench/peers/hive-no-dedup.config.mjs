// Hive Gateway with its in-flight deduplication of subgraph calls off (on by default; it forwards no
// headers, so it shares a subgraph call across every caller): the peer's engine alone, the pair to
// ungegraf with nothing shared (issue 16). As the Hive docs set it ("Deduplicate Inflight Requests").
// `hive-gateway supergraph <file> --config-path hive-no-dedup.config.mjs`.
export const gatewayConfig = {
  transportEntries: {
    '*.http': { options: { deduplicateInflightRequests: false } },
  },
};
