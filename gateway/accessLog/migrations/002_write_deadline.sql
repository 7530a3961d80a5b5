-- A write carries the latest time the gateway still waits for it (valid_until). One that reaches the
-- database later, after a stall, is refused instead of stored: its caller has already answered 503
-- without releasing anything, so storing it would record a release that never happened.
CREATE FUNCTION access_log_in_time(valid_until timestamptz) RETURNS boolean
  LANGUAGE plpgsql VOLATILE
  AS $$
BEGIN
  IF valid_until IS NOT NULL AND clock_timestamp() > valid_until THEN
    RAISE EXCEPTION 'access log write arrived after its deadline (%)', valid_until USING ERRCODE = 'query_canceled';
  END IF;
  RETURN true;
END $$;
