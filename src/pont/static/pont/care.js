// Public signal page: when someone says a person is in danger now, bring the help lines to the front.
// Without JavaScript the help lines are shown at the top of the page all the same.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("emergency");
  const radios = document.querySelectorAll("input[name='danger_now']");
  if (!box || !radios.length) return;
  const update = (focus) => {
    const danger = document.querySelector("input[name='danger_now']:checked")?.value === "yes";
    box.classList.toggle("alert-danger", danger);
    box.classList.toggle("alert-warning", !danger);
    box.classList.toggle("in-danger", danger);
    if (danger && focus) {
      box.setAttribute("tabindex", "-1");
      box.scrollIntoView({ block: "start" });
      box.focus();
    }
  };
  radios.forEach((r) => r.addEventListener("change", () => update(true)));
  update(false);
});
