// The partner's whole integration: calfeed's event source URL. FullCalendar adds start, end
// (and timeZone) to it for the range on screen.
document.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("calendar");
  var calendar = new FullCalendar.Calendar(element, {
    initialView: "dayGridMonth",
    initialDate: element.dataset.initialDate,
    firstDay: 1,
    events: element.dataset.calfeed + "/api/v1/fullcalendar"
  });
  calendar.render();
});
