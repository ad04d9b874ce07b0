// Every test process runs in UTC, whatever the machine's zone is.
process.env.TZ = 'UTC';
