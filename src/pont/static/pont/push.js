/* Alerts on this browser: ask for notifications, subscribe through the push service worker, tell Pont. */
(function () {
  "use strict";
  const box = document.getElementById("push-box");
  if (!box) return;
  const status = document.getElementById("push-status");
  const button = document.getElementById("push-on");
  const off = document.getElementById("push-off");
  const csrf = box.querySelector("input[name=csrfmiddlewaretoken]").value;
  const say = (text) => { status.textContent = text; };
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say(box.dataset.unsupported);
    button.disabled = true;
    return;
  }
  const key = (b64) => {
    const padded = (b64 + "=".repeat((4 - (b64.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  };
  const post = (url, body) => fetch(url, {
    method: "POST", credentials: "same-origin", body: JSON.stringify(body),
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
  });
  button.addEventListener("click", async () => {
    try {
      if (await Notification.requestPermission() !== "granted") { say(box.dataset.refused); return; }
      const registration = await navigator.serviceWorker.register(box.dataset.worker);
      await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: key(box.dataset.key) });
      const answer = await post(box.dataset.subscribe, subscription.toJSON());
      say(answer.ok ? box.dataset.done : box.dataset.failed);
    } catch (error) {
      say(box.dataset.failed);
    }
  });
  if (off) {
    off.addEventListener("click", async () => {
      const registration = await navigator.serviceWorker.getRegistration(box.dataset.worker);
      const subscription = registration && await registration.pushManager.getSubscription();
      if (subscription) await subscription.unsubscribe();
      await post(box.dataset.unsubscribe, subscription ? { endpoint: subscription.endpoint } : {});
      say(box.dataset.stopped);
    });
  }
})();
