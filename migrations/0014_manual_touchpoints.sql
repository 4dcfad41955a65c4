-- Touches the records miss, entered by staff ("met at the health fair", "saw the mailer"): attribution counts them
-- like any other touch before the patient's first visit. The note is free text about a person: sealed.
CREATE TABLE manual_touchpoints (
  id            uuid        NOT NULL DEFAULT gen_random_uuid(),
  practice_id   uuid        NOT NULL,
  patient_id    uuid        NOT NULL,
  occurred_on   date        NOT NULL,
  channel       text        NOT NULL,
  campaign      text        CHECK (campaign IS NULL OR length(campaign) BETWEEN 1 AND 200),
  note_sealed   bytea,
  created_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT manual_touchpoints_pkey PRIMARY KEY (id),
  CONSTRAINT manual_touchpoints_patient_id_fkey FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX manual_touchpoints_patient_id_idx ON manual_touchpoints (patient_id);
CREATE INDEX manual_touchpoints_practice_id_idx ON manual_touchpoints (practice_id);

ALTER TABLE manual_touchpoints ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY manual_touchpoints_tenant ON manual_touchpoints TO sourceline_app
  USING (practice_id = ANY (app_practice_ids())) WITH CHECK (practice_id = ANY (app_practice_ids()));
CREATE POLICY manual_touchpoints_system ON manual_touchpoints TO sourceline_system USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON manual_touchpoints TO sourceline_app, sourceline_system;
