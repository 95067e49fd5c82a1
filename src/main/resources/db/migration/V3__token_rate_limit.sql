-- A token may carry its own rate limit; null means the configured default.
alter table api_token
  add column rate_limit_per_second integer check (rate_limit_per_second > 0),
  add column rate_limit_burst integer check (rate_limit_burst > 0),
  add constraint api_token_rate_limit_pair
    check ((rate_limit_per_second is null) = (rate_limit_burst is null));
