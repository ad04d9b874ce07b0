import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenants, users, OIDC clients, signing keys, oidc-provider's persisted models and the append-only audit
 * log. Plain SQL that runs the same on MariaDB 10.11 and MySQL 8.4.
 */
export class Identity1764201600000 implements MigrationInterface {
  name = 'Identity1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE tenants (
      id varchar(64) NOT NULL,
      name varchar(256) NOT NULL,
      locale varchar(2) NOT NULL,
      active tinyint(1) NOT NULL DEFAULT 1,
      created_at datetime(3) NOT NULL,
      updated_at datetime(3) NOT NULL,
      PRIMARY KEY (id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`CREATE TABLE users (
      id char(36) NOT NULL,
      tenant_id varchar(64) NOT NULL,
      login varchar(128) NOT NULL,
      name varchar(256) NOT NULL,
      email varchar(320) NULL,
      password_hash varchar(255) NOT NULL,
      roles text NOT NULL,
      active tinyint(1) NOT NULL DEFAULT 1,
      extension varchar(32) NULL,
      pbx_interface varchar(128) NULL,
      queues text NOT NULL,
      locale varchar(2) NULL,
      password_changed_at datetime(3) NOT NULL,
      last_login_at datetime(3) NULL,
      created_at datetime(3) NOT NULL,
      updated_at datetime(3) NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY ux_users_tenant_login (tenant_id, login)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`CREATE TABLE oidc_clients (
      id varchar(128) NOT NULL,
      tenant_id varchar(64) NOT NULL,
      kind varchar(16) NOT NULL,
      name varchar(256) NOT NULL,
      secret_hash varchar(255) NULL,
      redirect_uris text NOT NULL,
      post_logout_redirect_uris text NOT NULL,
      roles text NOT NULL,
      active tinyint(1) NOT NULL DEFAULT 1,
      created_at datetime(3) NOT NULL,
      updated_at datetime(3) NOT NULL,
      PRIMARY KEY (id),
      KEY ix_oidc_clients_tenant_name (tenant_id, name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`CREATE TABLE signing_keys (
      kid varchar(64) NOT NULL,
      alg varchar(16) NOT NULL,
      state varchar(8) NOT NULL,
      private_jwk text NOT NULL,
      created_at datetime(3) NOT NULL,
      activated_at datetime(3) NULL,
      retired_at datetime(3) NULL,
      expires_at datetime(3) NULL,
      PRIMARY KEY (kid),
      KEY ix_signing_keys_state (state)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`CREATE TABLE oidc_models (
      model varchar(32) NOT NULL,
      id varchar(255) NOT NULL,
      payload mediumtext NOT NULL,
      grant_id varchar(255) NULL,
      uid varchar(255) NULL,
      user_code varchar(255) NULL,
      expires_at datetime(3) NULL,
      consumed_at datetime(3) NULL,
      PRIMARY KEY (model, id),
      KEY ix_oidc_models_grant (grant_id),
      KEY ix_oidc_models_uid (uid),
      KEY ix_oidc_models_expires (expires_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`CREATE TABLE audit_log (
      id bigint unsigned NOT NULL AUTO_INCREMENT,
      tenant_id varchar(64) NOT NULL,
      occurred_at datetime(3) NOT NULL,
      type varchar(48) NOT NULL,
      actor_type varchar(16) NOT NULL,
      actor_id varchar(128) NULL,
      actor_label varchar(256) NULL,
      subject_type varchar(16) NULL,
      subject_id varchar(128) NULL,
      client_id varchar(128) NULL,
      ip varchar(64) NULL,
      user_agent varchar(512) NULL,
      reason varchar(128) NULL,
      before_state mediumtext NULL,
      after_state mediumtext NULL,
      request_id varchar(128) NULL,
      PRIMARY KEY (id),
      KEY ix_audit_tenant_time (tenant_id, occurred_at),
      KEY ix_audit_tenant_type_time (tenant_id, type, occurred_at),
      KEY ix_audit_tenant_subject_time (tenant_id, subject_id, occurred_at),
      KEY ix_audit_tenant_actor_time (tenant_id, actor_id, occurred_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    // Append-only by construction, not by convention: the database itself refuses to rewrite history.
    await q.query(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW
      SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only'`);
    await q.query(`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW
      SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER IF EXISTS audit_log_no_delete');
    await q.query('DROP TRIGGER IF EXISTS audit_log_no_update');
    for (const table of ['audit_log', 'oidc_models', 'signing_keys', 'oidc_clients', 'users', 'tenants']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
