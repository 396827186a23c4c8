"""The music engine both the jingle and the video kinds use: music theory, composition (parts,
melody, arrangement), SoundFont synthesis, mastering and instrumental beds.

It reads a :class:`~adloom.writer.schemas.MusicPlan` and knows nothing of asset kinds: the
jingle kind (``assets/jingle``) composes and sings with it, the video kind's soundtrack takes
its beds (:func:`adloom.render.music.bed.render_bed`).
"""
