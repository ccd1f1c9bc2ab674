import SignetCore
