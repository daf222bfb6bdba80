-- Issue 11: activity ranges. GET /v1/activity/export and /stats select a
-- user's audit rows by time (created_at BETWEEN from AND to); audit_user_time
-- orders by id only, so without this index a range read scans every row of
-- the user back to their first.
CREATE INDEX audit_user_created ON audit_log(user_id, created_at);
