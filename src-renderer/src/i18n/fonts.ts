/**
 * The scripts' fonts, bundled: a shop PC often has no Bengali or Arabic-script font, and
 * Chromium then draws empty boxes. Only the script subsets are loaded (their unicode-range
 * keeps Latin text in the system font); Vite copies the woff2/woff files into the build.
 */
import '@fontsource/noto-sans-bengali/bengali-400.css';
import '@fontsource/noto-sans-bengali/bengali-700.css';
import '@fontsource/noto-naskh-arabic/arabic-400.css';
import '@fontsource/noto-naskh-arabic/arabic-700.css';
