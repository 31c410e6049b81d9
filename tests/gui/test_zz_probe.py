from tests.gui.drive import press, sign_in, type_text, idle, message, wait_state
from tests.gui.test_counter_flows import upgrade_awaiting_payment, start_upgrade
from tests.flows import BEST
from pos_exchange.domain.exchange import State

def test_probe(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    w = side.window
    sign_in(qtbot, side)
    print("MIN empty", w.minimumSizeHint(), w.size())
    w.grab().save("/tmp/gui9/empty.png")
    upgrade_awaiting_payment(qtbot, side)
    idle(qtbot, side)
    print("MIN pay", w.minimumSizeHint(), w.size(), side.ex.minimumSizeHint())
    w.grab().save("/tmp/gui9/pay.png")
    w.resize(1280, 800); qtbot.wait(100)
    w.grab().save("/tmp/gui9/pay1280.png")
    w.resize(1920, 1080); qtbot.wait(100)
    w.grab().save("/tmp/gui9/pay1920.png")
