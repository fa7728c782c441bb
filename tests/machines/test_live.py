"""machines.live: screens showing the same thing share one render per change."""

import asyncio

from machines.live import _SharedRenders


def test_streams_with_the_same_key_render_once_per_version():
    calls = []

    async def render():
        calls.append(1)
        await asyncio.sleep(0.01)
        return f"<p>{len(calls)}</p>"

    async def fifty_screens(shared, version):
        return await asyncio.gather(*(shared.get("kiosk", version, render) for _ in range(50)))

    async def scenario():
        shared = _SharedRenders()
        first = await fifty_screens(shared, version=1)
        second = await fifty_screens(shared, version=2)
        other_key = await shared.get("banner", 2, render)
        return first, second, other_key

    first, second, other_key = asyncio.run(scenario())
    assert set(first) == {"<p>1</p>"}
    assert set(second) == {"<p>2</p>"}
    assert other_key == "<p>3</p>"
    assert len(calls) == 3
