from compiler.dsl import Alert


def test_alert_keywords_become_labels_and_annotations() -> None:
    alert = Alert("Down", expr="up == 0", severity="page", summary="down")
    assert alert.labels == {"severity": "page"}
    assert alert.annotations == {"summary": "down"}
