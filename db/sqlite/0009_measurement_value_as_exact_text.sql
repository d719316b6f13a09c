-- Measurement values are exact decimal text in their shortest form ("1.5", never "1.50"), as on SQL Server from this
-- script on: equal values are then equal texts. The column already holds text; older rows lose their trailing zeros.
UPDATE KpiMeasurement SET Value = rtrim(rtrim(Value, '0'), '.') WHERE instr(Value, '.') > 0 AND Value LIKE '%0';
UPDATE KpiMeasurementHistory SET Value = rtrim(rtrim(Value, '0'), '.') WHERE instr(Value, '.') > 0 AND Value LIKE '%0';
