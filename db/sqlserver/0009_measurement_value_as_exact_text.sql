-- Measurement values keep up to 28 significant digits at any magnitude up to 10^26 (0.000123456789012345 as well as
-- 12345678901234567890.123456): more than a DECIMAL(38, s) column holds at both ends, so they are stored as the exact
-- decimal text in its shortest form ("1.5", never "1.500000000000"), as SQLite stores them. Reads parse the text in C#.
ALTER TABLE KpiMeasurement ALTER COLUMN Value VARCHAR(64) NOT NULL;
ALTER TABLE KpiMeasurementHistory ALTER COLUMN Value VARCHAR(64) NOT NULL;

-- DECIMAL(38, 12) converts to text with all twelve decimals: drop the trailing zeros, then a point left bare.
UPDATE KpiMeasurement SET Value = LEFT(Value, LEN(Value) - PATINDEX('%[^0]%', REVERSE(Value)) + 1) WHERE Value LIKE '%.%0';
UPDATE KpiMeasurement SET Value = LEFT(Value, LEN(Value) - 1) WHERE Value LIKE '%.';
UPDATE KpiMeasurementHistory SET Value = LEFT(Value, LEN(Value) - PATINDEX('%[^0]%', REVERSE(Value)) + 1) WHERE Value LIKE '%.%0';
UPDATE KpiMeasurementHistory SET Value = LEFT(Value, LEN(Value) - 1) WHERE Value LIKE '%.';
