"""Safety checks the studio runs on texts and rendered frames: rules, semantic examples, keyframe classifier."""
