-- The end of a subscription expires its quote's licenses at once (license/LicenseService.expireSource):
-- 'expired' is then stored, with expires_at brought forward to that moment, so that no renewal
-- extends them again. A license that merely ran past its expires_at is still expired when read, as
-- before, and keeps its stored status.
ALTER TABLE licenses
    DROP CONSTRAINT licenses_status_check,
    ADD CONSTRAINT licenses_status_check CHECK (status IN ('active', 'suspended', 'revoked', 'expired'));
