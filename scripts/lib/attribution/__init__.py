"""scripts/attribution's funnel benchmark and the pieces the /t.js browser test shares with it."""
