DROP TABLE withdrawals;
DROP TABLE legal_versions;
DROP FUNCTION legal_versions_are_immutable();
