-- `like_share`, one like per call, was kept by 0017 for instances still on the release before the
-- batches during a rolling upgrade. A release has passed since: every instance a rolling upgrade
-- to this one can meet calls `like_shares`, so nothing calls it any more.
DROP FUNCTION IF EXISTS like_share(uuid, integer, uuid, uuid, uuid, date, timestamptz, integer, integer, boolean, integer, integer, text, text);
