-- Run once by the postgres image when compose.yaml's cluster is created. Behind PgBouncer the app
-- cannot send statement_timeout in its startup packet, so the role carries it instead.
ALTER ROLE inventory_user SET statement_timeout = '5s';
