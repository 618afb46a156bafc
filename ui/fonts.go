package ui

import _ "embed"

// LetterFont is the TrueType font the PDF letters embed (subset) for their
// Chinese text: Droid Sans Fallback, Apache License 2.0 (fonts/LICENSE-
// DroidSansFallback.txt), from Debian's fonts-droid-fallback. It ships in
// the binary because government networks are often offline.
//
//go:embed fonts/DroidSansFallbackFull.ttf
var LetterFont []byte

// LetterLatinFont is the TrueType font of the PDF letters' digits and
// Latin letters, which Droid Sans Fallback lacks: DejaVu Serif, Bitstream
// Vera licence (fonts/LICENSE-DejaVu.txt), from Debian's fonts-dejavu-core.
//
//go:embed fonts/DejaVuSerif.ttf
var LetterLatinFont []byte
