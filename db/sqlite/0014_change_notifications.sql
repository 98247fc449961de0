-- PostgreSQL's 0014 adds triggers that NOTIFY other service instances when a certificate (or a standard or center it shows)
-- changes. SQLite serves one process, which drops its cached answers itself after each commit: nothing to add here.
SELECT 1;
