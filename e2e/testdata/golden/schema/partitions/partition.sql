ALTER TABLE ONLY billing.ledger ATTACH PARTITION billing.ledger_p0 FOR VALUES WITH (modulus 2, remainder 0);

ALTER TABLE ONLY billing.ledger ATTACH PARTITION billing.ledger_p1 FOR VALUES WITH (modulus 2, remainder 1);

ALTER TABLE ONLY public.events ATTACH PARTITION public.events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

ALTER TABLE ONLY public.events_2024 ATTACH PARTITION public.events_2024_click FOR VALUES IN ('click');

ALTER TABLE ONLY public.events_2024 ATTACH PARTITION public.events_2024_other DEFAULT;

ALTER TABLE ONLY public.events ATTACH PARTITION public.events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');

