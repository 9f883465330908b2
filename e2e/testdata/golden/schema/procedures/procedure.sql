CREATE PROCEDURE billing.close_month(IN p_month date)
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO "Reporting"."Daily Totals" ("Day", "select") SELECT p_month, sum(amount) FROM billing.ledger ON CONFLICT DO NOTHING;
END $$;

