-- PostgreSQL's 0020 adds a trigger that NOTIFYs other service instances when a qualification is withdrawn. SQLite serves
-- one process, which drops its cached answers itself after the commit: nothing to add here.
SELECT 1;
