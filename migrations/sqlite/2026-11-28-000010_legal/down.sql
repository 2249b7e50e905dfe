DROP TABLE withdrawals;
DROP TABLE legal_versions;
