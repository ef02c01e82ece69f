"""What an operator watches: Prometheus metrics, /healthz and /readyz (MIP_METRICS_PORT), and
JSON logs (MIP_LOG_FORMAT=json)."""
