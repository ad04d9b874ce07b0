// Integration suites talk to real MariaDB, Redis and Kafka: allow slow machines (this is a ceiling, not a timing assertion).
jest.setTimeout(120000);
