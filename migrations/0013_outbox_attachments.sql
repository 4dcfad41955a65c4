-- Mail may carry files (the monthly report's PDF): sealed under the master key like the body, since nothing in the
-- outbox is meant for the database's eyes.
ALTER TABLE outbox_emails ADD COLUMN attachments_sealed bytea;
