// Tells the server the browser's timezone, so anonymous visitors read times in their own
// zone from the next page on (signed-in members use the zone in their profile).
(() => {
  let zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  // Zone names are plain cookie characters (letters, digits, _ + - /); skip anything else.
  if (!zone || /[^A-Za-z0-9_+\-/]/.test(zone)) return;
  const current = document.cookie.split("; ").find((part) => part.startsWith("tz="));
  if (current && current.slice(3) === zone) return;
  const secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `tz=${zone}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
})();
